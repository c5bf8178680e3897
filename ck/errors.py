"""User-facing errors: the CLI prints their message on one line, without a traceback."""


class CkError(Exception):
    """A problem with the user's input (model file, flags) that they can act on."""


class GGUFError(CkError):
    """The model file is missing, not GGUF, truncated, or not a supported model."""
