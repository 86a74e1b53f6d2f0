"""Allow ``python -m ocafas``."""

from ocafas.cli import main

if __name__ == "__main__":
    main()
