"""OpenCart: the client of the ocafas extension's JSON API and its order models."""
