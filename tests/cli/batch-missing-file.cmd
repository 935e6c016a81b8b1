batch $T/no-such-file.jsonl
