"""Split an OpenCart address line into AFAS SB's StreetName / HouseNumber / HouseNumberAddition.

OpenCart keeps "Stationstraat 12a" in one field; AFAS SB wants the street, an *integer* house
number and a free-text addition. A wrong split puts a debtor at the wrong address, so the rule is
to never guess: when the line cannot be read unambiguously, :class:`AddressError` says why in
words a shop owner can act on.

Conventions (see docs/address.md):

* The addition is stored without the separator that joined it to the number, as the Dutch
  address register (BAG) and PostNL do: "12a", "12 a", "12-A" give addition "a"/"a"/"A";
  "Laan van Meerdervoort 1-3" gives number 1, addition "3"; "Avenue Louise 54/2" gives 54, "2".
  Words stay as typed: "Rue de la Loi 16 bte 3" gives 16, "bte 3"; case is never changed.
* "Postbus 123" is street "Postbus", number 123: AFAS SB has no separate PO box field.
* The number is the first one, read from the left, that is followed only by a recognised
  addition, so "Plein 1940-1945 12" and "Straße des 17. Juni 135" keep the numbers in their
  street names. Countries that write the number first (FR, GB, ...) try "12 rue de la Paix" first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Longer streets are cut at a word boundary; OpenCart allows 128 characters per address line.
MAX_STREET_LENGTH = 100
#: A house number with more digits is a typo or a postcode, never a house number.
MAX_NUMBER_DIGITS = 6

#: Countries whose addresses put the house number before the street ("12 rue de la Paix").
NUMBER_FIRST_COUNTRIES = frozenset({"FR", "LU", "MC", "GB", "IE", "US", "CA", "AU", "NZ"})

_BY_HAND = "book the order by hand"


class AddressError(ValueError):
    """Raised when an address line cannot be split into street, house number and addition.

    ``code`` is stable (``address.empty``, ``address.no_street``, ``address.no_number``,
    ``address.bad_number``, ``address.ambiguous``) so checks can report it; ``str()`` is the
    shop owner's message.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class StreetAddress:
    """An address line as AFAS SB wants it."""

    street: str
    house_number: int | None  # None only when allow_missing=True and no number was found
    addition: str  # "" when none


# An addition after a number that is only digits must be joined by "-" or "/": "12 3" could just
# as well be street "... 12", number 3, so it is refused rather than guessed.
_DIGITS_ADDITION = r"[0-9]{1,3}(?:-?\s?(?:hoog|[a-z]{1,3}))?"
_DIGITS_LETTERS = r"[0-9]{1,3}\s?(?:hoog|[a-z]{1,3})"
_BOX_WORD = r"(?:bus|bte|bt|boîte|boite|box|app|appt|apt)\.?\s?[0-9a-z]{1,4}"
_KNOWN_WORDS = r"bis|ter|quater|huis|hoog|boven|beneden|sous|rood|zwart"
_ROMAN = r"(?=[ivx])x{0,2}(?:ix|iv|v?i{0,3})"
_LETTERS = r"[a-z]{1,2}(?:[-\s]?[0-9]{1,3})?"
_WORD_ADDITION = rf"(?:{_BOX_WORD}|{_KNOWN_WORDS}|{_ROMAN}|{_LETTERS})"

#: Longest text _ADDITION_RE can match ("  /  boîte. 1234" and the like), with room to spare.
_MAX_ADDITION_TEXT = 24
_ADDITION_RE = re.compile(
    rf"""(?:
        \s*[-/]\s*(?P<joined>{_DIGITS_ADDITION})
      | \s+(?P<spaced>{_DIGITS_LETTERS})
      | (?:\s*[-/,]\s*|\s*)(?P<word>{_WORD_ADDITION})
    )?\s*""",
    re.IGNORECASE | re.VERBOSE,
)
# A house number starts a token: at the start, or after a space, comma, "#", "°", "º" or ".".
_NUMBER_RE = re.compile(r"(?:^|(?<=[\s,#°º.]))[0-9]+(?![0-9])")
_NUMBER_FIRST_RE = re.compile(
    r"""(?P<number>[0-9]+)
        (?P<addition>[a-z](?![a-z])|\s?-\s?[0-9]{1,3}(?![0-9])|\s?(?:bis|ter|quater)\b)?
        [\s,]+(?P<street>.+)""",
    re.IGNORECASE | re.VERBOSE,
)
_ORDINAL_RE = re.compile(r"[0-9]+(?:e|de|ste|er|ère|re|nd|rd|th|st)\b", re.IGNORECASE)
_NUMBER_MARKER_RE = re.compile(r"[\s,]*(?:\bnr\.?|\bno\.|\bn[°º]\.?|#)$", re.IGNORECASE)
_BARE_NUMBER_END_RE = re.compile(r"(?:^|\s)[0-9]{1,3}\.?$")
_WHITESPACE_RE = re.compile(r"\s+")
_EDGE_JUNK = " ,;"


def split_address(
    address_1: str, address_2: str = "", country_code: str = "NL", *, allow_missing: bool = False
) -> StreetAddress:
    """Split an OpenCart address into street, house number and addition.

    ``address_2`` is used when it carries the number ("Stationstraat" + "12a"), the addition
    ("Kerkstraat 12" + "bus 4") or the whole line (``address_1`` empty); anything else in it
    (a floor, a company) is ignored. With ``allow_missing`` a line without a number gives
    ``house_number=None`` instead of an error; all other problems still raise.
    """
    line_1, line_2 = _clean(address_1 or ""), _clean(address_2 or "")
    number_first = (country_code or "").strip().upper() in NUMBER_FIRST_COUNTRIES
    if not line_1 and not line_2:
        raise AddressError(
            "address.empty", f"the address is empty; fill in the street and number or {_BY_HAND}"
        )
    if not line_1 or not line_2:
        return _split_line(line_1 or line_2, number_first, allow_missing)

    first = _parse(line_1, number_first)
    if first is None:
        if _is_number_part(line_2):  # "Stationstraat" + "12a"
            return _split_line(f"{line_1} {line_2}", number_first, allow_missing)
        if _is_number_part(line_1) and _parse(line_2, number_first) is None:  # "12a" + "Kerkweg"
            return _split_line(f"{line_2} {line_1}", number_first, allow_missing)
        return _split_line(line_1, number_first, allow_missing)
    if not first.addition and _ADDITION_RE.fullmatch(" " + line_2):  # "Kerkstraat 12" + "bus 4"
        return _split_line(f"{line_1} {line_2}", number_first, allow_missing)
    return first


def _clean(text: str) -> str:
    """One line of text: NFC, single spaces, no control or zero-width characters.

    A control character becomes a space (it separated what stood around it: "1\x1b0" must not
    become house number 10); a zero-width (format) character is dropped.
    """
    text = unicodedata.normalize("NFC", text)
    text = _WHITESPACE_RE.sub(" ", text)
    text = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    return _WHITESPACE_RE.sub(" ", text).strip(_EDGE_JUNK)


def _shown(line: str) -> str:
    return repr(line if len(line) <= 80 else line[:77] + "...")


def _split_line(line: str, number_first: bool, allow_missing: bool) -> StreetAddress:
    parsed = _parse(line, number_first)
    if parsed is not None:
        return parsed
    if _is_number_part(line) or not any(ch.isalpha() for ch in line):
        raise AddressError(
            "address.no_street",
            f"no street name found in {_shown(line)}; put the street and number in the address "
            f"line in OpenCart or {_BY_HAND}",
        )
    if allow_missing:
        return StreetAddress(_truncate(line), None, "")
    raise AddressError(
        "address.no_number",
        f"no house number found in {_shown(line)}; put the number in the address line in "
        f"OpenCart or {_BY_HAND}",
    )


def _parse(line: str, number_first: bool) -> StreetAddress | None:
    """The address in ``line``, or None when it holds no house number in a form we recognise."""
    attempts = (_number_first, _number_last) if number_first else (_number_last, _number_first)
    for attempt in attempts:
        found = attempt(line)
        if found is not None:
            return found
    return None


def _number_last(line: str) -> StreetAddress | None:
    for match in _NUMBER_RE.finditer(line):
        # An addition is short, so only numbers near the end can be the house number; skipping
        # the others early keeps a line of thousands of numbers linear instead of quadratic.
        if len(line) - match.end() > _MAX_ADDITION_TEXT:
            continue
        tail = _ADDITION_RE.fullmatch(line, match.end())
        if tail is None:
            continue
        street = _NUMBER_MARKER_RE.sub("", line[: match.start()].rstrip(_EDGE_JUNK))
        street = street.rstrip(_EDGE_JUNK)
        if not _is_street(street):
            continue
        if _BARE_NUMBER_END_RE.search(street):
            raise AddressError(
                "address.ambiguous",
                f"cannot tell the street from the house number in {_shown(line)}; write the "
                f"addition with a dash (e.g. 12-3) in OpenCart or {_BY_HAND}",
            )
        addition = tail.group("joined") or tail.group("spaced") or tail.group("word") or ""
        return _result(line, street, match.group(), addition)
    return None


def _number_first(line: str) -> StreetAddress | None:
    match = _NUMBER_FIRST_RE.fullmatch(line)
    if match is None or _ORDINAL_RE.match(line) or not _is_street(match.group("street")):
        return None
    addition = (match.group("addition") or "").strip().lstrip("-").strip()
    return _result(line, match.group("street").strip(_EDGE_JUNK), match.group("number"), addition)


def _is_street(street: str) -> bool:
    return any(ch.isalpha() for ch in street) and (street[-1].isalnum() or street[-1] in ".')")


def _is_number_part(line: str) -> bool:
    """True for a line that is only a number with an addition, such as "12a" or "16 bte 3"."""
    match = _NUMBER_RE.match(line)
    return match is not None and _ADDITION_RE.fullmatch(line[match.end() :]) is not None


def _result(line: str, street: str, digits: str, addition: str) -> StreetAddress:
    # Checked before int(): int() refuses strings of thousands of digits with a ValueError.
    significant = digits.lstrip("0")
    if not significant or len(significant) > MAX_NUMBER_DIGITS:
        shown = digits if len(digits) <= 12 else digits[:10] + "..."
        why = "is not a house number" if not significant else "has too many digits"
        raise AddressError(
            "address.bad_number",
            f"house number {shown} in {_shown(line)} {why}; correct the address in OpenCart or "
            f"{_BY_HAND}",
        )
    return StreetAddress(_truncate(street), int(digits), _WHITESPACE_RE.sub(" ", addition.strip()))


def _truncate(street: str) -> str:
    """Cut an over-long street at a word boundary: a shortened street beats an unbooked order."""
    if len(street) <= MAX_STREET_LENGTH:
        return street
    cut = street[:MAX_STREET_LENGTH]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(_EDGE_JUNK + "-") or cut
