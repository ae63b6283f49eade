"""The licence of the published data, stated on /data/, in the API and in every snapshot."""

LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": (
        "12-Factor AgentOps community (agentops-web); credit each item's author as the "
        "item credits them."
    ),
}
