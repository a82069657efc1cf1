"""Pay tied to results: figures per person, KPI plans, statements, appointments and disputes."""
