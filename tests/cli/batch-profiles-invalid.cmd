batch --profiles $P/invalid/format-2.xml $T/batch.jsonl
