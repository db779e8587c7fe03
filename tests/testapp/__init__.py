"""The versioned app the library's tests own: books and authors over six versions.

It mirrors the example project's library on purpose (the same shapes and versions, so that the
library tests read like the SPEC), but it is the tests' code: the example may change without
breaking them, and a library test may need a change here that the demo would not want.
"""
