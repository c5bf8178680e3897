"""The emission targets (`ck-translate -t c`, `-t llvm`): each emitter and its per-dialect parts."""
