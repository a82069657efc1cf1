"""Mystery shopping: locations, scenarios, waves of visits and the assignments' life cycle."""
