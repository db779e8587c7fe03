"""Root URLconfs for tests that need URLs other than the test app's."""
