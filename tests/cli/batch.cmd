batch $T/batch.jsonl
