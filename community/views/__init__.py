"""Community pages, one module per area: threads (feedback threads and replies), moderation
(flags), people (contributors and community health), account (settings, follows, leaving) and
inbox (notifications and unsubscribing).

Views read the request, call a selector (community/selectors.py) or a service
(community/services.py), and render.
"""
