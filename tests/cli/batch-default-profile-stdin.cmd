batch --profile chrome/75 < $T/batch.jsonl
