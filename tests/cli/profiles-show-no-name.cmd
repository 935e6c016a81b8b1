profiles show
