"""ck: a compiler that turns transformer LLMs stored as GGUF into native CPU runtimes."""

__version__ = "0.1.0"
