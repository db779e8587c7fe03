"""Test support: fixtures, declarations, settings and servers that the test modules share."""
