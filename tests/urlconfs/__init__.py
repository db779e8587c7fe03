"""Root URLconfs for tests that need URLs other than the example project's."""
