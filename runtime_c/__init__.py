"""Hand-written C that generated code links against (no model math)."""
