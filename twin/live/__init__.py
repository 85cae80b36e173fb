"""Live state of the city: field devices over MQTT, alarms, incidents, KPIs."""
