"""What the framework app tells the rest of the site; it imports no other app to do so.

Receivers are connected by the apps that listen (the community app, in its AppConfig.ready()).
"""

from django.dispatch import Signal

# A factor moved phase (promotion or demotion), sent after the commit.
# sender: Factor; keywords: factor, change (the PhaseChange recorded).
phase_changed = Signal()
