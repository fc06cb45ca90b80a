"""Spring knowledge: how Spring Boot binds its properties to client keys, and how profiles are chosen."""
