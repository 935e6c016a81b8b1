profiles show spec
