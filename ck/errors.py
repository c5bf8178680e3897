"""User-facing errors: the CLI prints their message on one line, without a traceback."""


class CkError(Exception):
    """A problem with the user's input (model file, flags) that they can act on."""


class GGUFError(CkError):
    """The model file is missing, not GGUF, truncated, or not a supported model.

    Its message quotes names and strings read from the file, which may hold any character:
    those that are not printable (a newline in a key, a NUL in a tensor name) are written
    as escapes, so the message stays one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


def one_line(text: str) -> str:
    """`text` with every unprintable character (newlines, NUL, ...) written as its escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
