profiles show nosuch
