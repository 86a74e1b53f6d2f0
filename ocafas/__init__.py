"""ocafas: book OpenCart webshop orders into AFAS SB as sales journal entries."""

__version__ = "0.1.0"
