"""Entry points: ck-opt and ck-translate (thin wrappers over xDSL's opt driver)."""
