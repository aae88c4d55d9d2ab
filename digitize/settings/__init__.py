"""Configuration: every profile section model, profile loading and job files, validated at the edge."""
