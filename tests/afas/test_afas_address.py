"""Splitting OpenCart address lines into AFAS SB StreetName / HouseNumber / HouseNumberAddition."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from ocafas.afas.address import (
    MAX_STREET_LENGTH,
    AddressError,
    StreetAddress,
    split_address,
)

# (address_1, expected street, number, addition) for Dutch, Belgian and German shops.
REAL_WORLD = [
    ("Stationstraat 12a", "Stationstraat", 12, "a"),
    ("Stationstraat 12 a", "Stationstraat", 12, "a"),
    ("Stationstraat 12-A", "Stationstraat", 12, "A"),
    ("Stationstraat 12 A", "Stationstraat", 12, "A"),
    ("Laan van Meerdervoort 1-3", "Laan van Meerdervoort", 1, "3"),
    ("Laan van Meerdervoort 1 - 3", "Laan van Meerdervoort", 1, "3"),
    ("Hoofdstraat 12 bis", "Hoofdstraat", 12, "bis"),
    ("Kerkstraat 5 hs", "Kerkstraat", 5, "hs"),
    ("Kerkstraat 5-H", "Kerkstraat", 5, "H"),
    ("Straat 10 III", "Straat", 10, "III"),
    ("Straat 10-2hg", "Straat", 10, "2hg"),
    ("Straat 10 2hg", "Straat", 10, "2hg"),
    ("Straat 10-2 hoog", "Straat", 10, "2 hoog"),
    ("Prinsengracht 263 zwart", "Prinsengracht", 263, "zwart"),
    ("Keizersgracht 123 HS-01", "Keizersgracht", 123, "HS-01"),
    ("Plein 1940-1945 12", "Plein 1940-1945", 12, ""),
    ("Plein 1813 2", "Plein 1813", 2, ""),
    ("18 Septemberplein 5", "18 Septemberplein", 5, ""),
    ("2e Jan Steenstraat 14", "2e Jan Steenstraat", 14, ""),
    ("1e Constantijn Huygensstraat 20 bg", "1e Constantijn Huygensstraat", 20, "bg"),
    ("Postbus 123", "Postbus", 123, ""),
    ("Antwoordnummer 10020", "Antwoordnummer", 10020, ""),
    ("'s-Gravendijkwal 230", "'s-Gravendijkwal", 230, ""),
    ("Kerkstraat nr. 12", "Kerkstraat", 12, ""),
    ("Stationstraat, 12a", "Stationstraat", 12, "a"),
    ("Rue de la Loi 16 bte 3", "Rue de la Loi", 16, "bte 3"),
    ("Rue de la Loi 16 boîte 3", "Rue de la Loi", 16, "boîte 3"),
    ("Kerkstraat 12 bus 4", "Kerkstraat", 12, "bus 4"),
    ("Kerkstraat 12, bus 4", "Kerkstraat", 12, "bus 4"),
    ("Meir 50 bus A", "Meir", 50, "bus A"),
    ("Avenue Louise 54/2", "Avenue Louise", 54, "2"),
    ("Chaussée de Wavre 1100 b3", "Chaussée de Wavre", 1100, "b3"),
    ("Rue X n° 5", "Rue X", 5, ""),
    ("Hauptstraße 5", "Hauptstraße", 5, ""),
    ("Hauptstr. 12a", "Hauptstr.", 12, "a"),
    ("Hauptstr.12", "Hauptstr.", 12, ""),
    ("Straße des 17. Juni 135", "Straße des 17. Juni", 135, ""),
    ("Am Markt 3-5", "Am Markt", 3, "5"),
    ("Hauptstraße Nr. 7b", "Hauptstraße", 7, "b"),
    ("Karl-Marx-Allee 90/2", "Karl-Marx-Allee", 90, "2"),
    ("Škoda-straat 7", "Škoda-straat", 7, ""),
    ("  Stationstraat   12a  ", "Stationstraat", 12, "a"),
    ("Stationstraat\t12\ta", "Stationstraat", 12, "a"),
    ("Stationstraat\u00a012a,", "Stationstraat", 12, "a"),
    ("Station\u200bstraat 12", "Stationstraat", 12, ""),
    ("Kerkstraat 012", "Kerkstraat", 12, ""),
    ("Kerkstraat 999999", "Kerkstraat", 999999, ""),
    # Number first: tried after the number-last form in number-last countries.
    ("12 rue de la Paix", "rue de la Paix", 12, ""),
    ("10, Downing Street", "Downing Street", 10, ""),
]


@pytest.mark.parametrize(("line", "street", "number", "addition"), REAL_WORLD)
def test_real_world_lines(line: str, street: str, number: int, addition: str) -> None:
    assert split_address(line) == StreetAddress(street, number, addition)


@pytest.mark.parametrize(
    ("line", "country", "street", "number", "addition"),
    [
        ("12 rue de la Paix", "FR", "rue de la Paix", 12, ""),
        ("12bis rue Victor Hugo", "FR", "rue Victor Hugo", 12, "bis"),
        ("12 rue du 8 Mai 1945", "FR", "rue du 8 Mai 1945", 12, ""),
        ("221B Baker Street", "GB", "Baker Street", 221, "B"),
        ("10, Downing Street", "gb", "Downing Street", 10, ""),
        ("12-14 rue Royale", "LU", "rue Royale", 12, "14"),
        # A number-first country still reads a number-last line.
        ("Rue de la Loi 16 bte 3", "FR", "Rue de la Loi", 16, "bte 3"),
        ("2e Jan Steenstraat 14", "FR", "2e Jan Steenstraat", 14, ""),
    ],
)
def test_number_first_countries(
    line: str, country: str, street: str, number: int, addition: str
) -> None:
    assert split_address(line, country_code=country) == StreetAddress(street, number, addition)


def test_number_last_country_reads_number_last_even_when_line_starts_with_a_number() -> None:
    # In NL "12 rue du 8 Mai 1945" is read as number 1945: the country decides the order.
    assert split_address("12 rue du 8 Mai 1945", country_code="NL").house_number == 1945
    assert split_address("12 rue du 8 Mai 1945", country_code="FR").house_number == 12


@pytest.mark.parametrize(
    ("address_1", "address_2", "expected"),
    [
        ("Stationstraat", "12a", StreetAddress("Stationstraat", 12, "a")),
        ("Rue de la Loi", "16 bte 3", StreetAddress("Rue de la Loi", 16, "bte 3")),
        ("12a", "Kerkweg", StreetAddress("Kerkweg", 12, "a")),
        ("Kerkstraat 12", "bus 4", StreetAddress("Kerkstraat", 12, "bus 4")),
        ("Kerkstraat 12", "A", StreetAddress("Kerkstraat", 12, "A")),
        ("", "Kerkstraat 12", StreetAddress("Kerkstraat", 12, "")),
        # Other things in address_2 (a floor, a building) are ignored.
        ("Kerkstraat 12", "3e verdieping", StreetAddress("Kerkstraat", 12, "")),
        ("Kerkstraat 12a", "bus 4", StreetAddress("Kerkstraat", 12, "a")),
        ("Kerkstraat 12", "Gebouw De Hoek", StreetAddress("Kerkstraat", 12, "")),
    ],
)
def test_address_2(address_1: str, address_2: str, expected: StreetAddress) -> None:
    assert split_address(address_1, address_2) == expected


@pytest.mark.parametrize(
    ("address_1", "address_2", "code", "message"),
    [
        (
            "Kerkstraat",
            "",
            "address.no_number",
            "no house number found in 'Kerkstraat'; put the number in the address line in "
            "OpenCart or book the order by hand",
        ),
        ("Plein 1940-1945", "", "address.no_number", "no house number found in 'Plein 1940-1945'"),
        ("Straße des 17. Juni", "", "address.no_number", "no house number found in 'Straße des"),
        (
            "Stationstraat",
            "3e verdieping",
            "address.no_number",
            "no house number found in 'Stationstraat';",
        ),
        ("Kerkstraat 12 3", "", "address.ambiguous", "cannot tell the street from the house"),
        (
            "12",
            "",
            "address.no_street",
            "no street name found in '12'; put the street and number in the address line",
        ),
        ("12a", "", "address.no_street", "no street name found in '12a'"),
        ("  ,\t ", "", "address.empty", "the address is empty; fill in the street and number"),
        ("", "", "address.empty", "the address is empty"),
        ("Kerkstraat 0", "", "address.bad_number", "house number 0 in 'Kerkstraat 0' is not a"),
        ("Kerkstraat 1234567", "", "address.bad_number", "house number 1234567 in 'Kerkstraat"),
        ("Kerkstraat " + "9" * 5000, "", "address.bad_number", "house number 9999999999..."),
        ("Kerkstraat １２", "", "address.no_number", "no house number found"),
    ],
)
def test_errors_say_what_is_wrong(address_1: str, address_2: str, code: str, message: str) -> None:
    with pytest.raises(AddressError) as caught:
        split_address(address_1, address_2)
    assert caught.value.code == code
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)


def test_allow_missing_keeps_the_street_without_a_number() -> None:
    assert split_address("Kerkstraat", allow_missing=True) == StreetAddress("Kerkstraat", None, "")
    assert split_address("Stationstraat", "3e verdieping", allow_missing=True) == StreetAddress(
        "Stationstraat", None, ""
    )
    # allow_missing is about a missing number only: other problems still raise.
    for line in ("", "12", "Kerkstraat 12 3", "Kerkstraat 1234567"):
        with pytest.raises(AddressError):
            split_address(line, allow_missing=True)


def test_long_street_is_cut_at_a_word_boundary() -> None:
    words = " ".join(["Lange"] * 40)
    result = split_address(f"{words}straat 5 a")
    assert (result.house_number, result.addition) == (5, "a")
    assert len(result.street) <= MAX_STREET_LENGTH
    assert words.startswith(result.street)
    assert result.street.endswith("Lange")
    unbroken = split_address("x" * 300 + " 5")
    assert unbroken.street == "x" * MAX_STREET_LENGTH


def test_huge_input_does_not_crash() -> None:
    assert split_address("Kerkstraat " * 20_000 + "7").house_number == 7
    with pytest.raises(AddressError):
        split_address("1 " * 50_000)


# --- properties ---------------------------------------------------------------------------------

_WORD = st.text(st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12).filter(
    lambda word: word.lower().rstrip(".") not in {"nr", "no"}
)
_STREET = st.lists(_WORD, min_size=1, max_size=5).map(" ".join)
_LETTER = st.sampled_from(string.ascii_letters)
# (what is typed after the number, the addition AFAS should get)
_ADDITIONS = st.one_of(
    st.just(("", "")),
    _LETTER.map(lambda c: (c, c)),
    _LETTER.map(lambda c: (f" {c}", c)),
    _LETTER.map(lambda c: (f"-{c}", c)),
    st.integers(1, 999).map(lambda n: (f"-{n}", str(n))),
    st.integers(1, 999).map(lambda n: (f"/{n}", str(n))),
    st.integers(1, 99).map(lambda n: (f" bus {n}", f"bus {n}")),
    st.integers(1, 9).map(lambda n: (f"-{n}hg", f"{n}hg")),
    st.sampled_from(["I", "II", "III", "IV", "bis", "hs", "bg", "huis"]).map(
        lambda a: (f" {a}", a)
    ),
)


@given(street=_STREET, number=st.integers(1, 999_999), addition=_ADDITIONS)
def test_generated_lines_round_trip(street: str, number: int, addition: tuple[str, str]) -> None:
    typed, expected = addition
    normalised = unicodedata.normalize("NFC", street)
    assume(any(ch.isalpha() for ch in normalised))
    assert len(normalised) <= MAX_STREET_LENGTH  # so no truncation: the split is exact
    assert split_address(f"{street} {number}{typed}") == StreetAddress(normalised, number, expected)


@given(street=_STREET, number=st.integers(1, 999_999), addition=_ADDITIONS)
def test_number_in_address_2_round_trips(
    street: str, number: int, addition: tuple[str, str]
) -> None:
    typed, expected = addition
    normalised = unicodedata.normalize("NFC", street)
    assume(any(ch.isalpha() for ch in normalised))
    assert split_address(street, f"{number}{typed}") == StreetAddress(normalised, number, expected)


# Digits, separators and addition letters, so random lines often come close to real ones.
_ADDRESSY = " 0123456789-/,.#°'aAbBeIiVvXxhsuß\t\u00a0\u200b"


@given(
    address_1=st.one_of(st.text(max_size=80), st.text(_ADDRESSY, max_size=40)),
    address_2=st.one_of(st.text(max_size=20), st.text(_ADDRESSY, max_size=12)),
    country=st.sampled_from(["NL", "BE", "DE", "FR", "GB", "", "xx"]),
    allow_missing=st.booleans(),
)
@example(address_1="A", address_2="1\x1b0", country="NL", allow_missing=False)
@example(address_1="1\u200b0 A", address_2="", country="NL", allow_missing=False)
def test_any_text_gives_a_sane_address_or_an_address_error(
    address_1: str, address_2: str, country: str, allow_missing: bool
) -> None:
    try:
        result = split_address(address_1, address_2, country, allow_missing=allow_missing)
    except AddressError as error:
        assert str(error) and error.code.startswith("address.")
        return
    assert result.street and result.street == result.street.strip()
    assert len(result.street) <= MAX_STREET_LENGTH
    assert any(ch.isalpha() for ch in result.street)
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in result.street)
    if result.house_number is None:
        assert allow_missing and result.addition == ""
    else:
        assert 1 <= result.house_number <= 999_999
        # as displayed: zero-width characters (copy-paste debris, "1\u200b0" reads 10) go
        shown = "".join(ch for ch in address_1 + address_2 if unicodedata.category(ch) != "Cf")
        assert str(result.house_number) in shown
    assert result.addition == result.addition.strip()
