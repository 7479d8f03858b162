"""An endless loop at import: every exercise of the chapter times out, once."""
while True:
    pass
