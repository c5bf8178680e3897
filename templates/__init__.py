"""Architecture templates as data: qwen3.json, qwen2.json, llama.json."""
