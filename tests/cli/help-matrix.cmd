matrix -h
