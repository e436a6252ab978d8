"""Demo and scale data: the people, processes and records a fresh installation shows.

Installed only in the development, test and bench settings; nothing else imports it.
"""
