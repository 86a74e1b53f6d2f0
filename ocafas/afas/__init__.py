"""AFAS SB: the API client, its typed outcomes and address splitting."""
