"""Pure algorithms of the network area: plain data in, plain data out (no database)."""
