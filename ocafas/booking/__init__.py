"""Booking: the checks, the entry plan and the debtor decision of an order; pure, no I/O."""
