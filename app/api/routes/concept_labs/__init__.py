"""One module per concept lab, each with its own ``router``; ``app/api/routes/concepts.py`` joins them."""
