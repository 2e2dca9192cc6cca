"""One construct per capability; the stacks compose them from a service's wiring."""
