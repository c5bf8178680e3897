"""The C target (`ck-translate -t c`): the emitter and its per-dialect parts."""
