"""The bilingual, accessible page shell: public and staff base pages, sign-in, health check, errors."""
