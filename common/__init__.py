"""Small pure utilities shared by the apps (no models, no app imports)."""
