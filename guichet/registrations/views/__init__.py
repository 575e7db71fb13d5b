"""Registration pages; the engine lives in ``guichet.registrations.services``."""
