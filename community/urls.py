from django.urls import path

from .views import account, inbox, moderation, people, threads

app_name = "community"

urlpatterns = [
    path("feedback/", threads.thread_list, name="thread_list"),
    path("feedback/start/<slug:factor_slug>/", threads.thread_create, name="thread_create"),
    path("feedback/<int:pk>/", threads.thread_detail, name="thread_detail"),
    path("feedback/<int:pk>/reply/", threads.thread_reply, name="thread_reply"),
    path("feedback/<int:pk>/decide/", threads.thread_decide, name="thread_decide"),
    path("feedback/replies/<int:pk>/edit/", threads.reply_edit, name="reply_edit"),
    path("flag/<slug:kind>/<int:pk>/", moderation.flag_create, name="flag"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("moderation/flags/<int:pk>/hide/", moderation.flag_hide, name="flag_hide"),
    path("moderation/flags/<int:pk>/dismiss/", moderation.flag_dismiss, name="flag_dismiss"),
    path("community/", people.community_health, name="health"),
    path("contributors/", people.contributor_list, name="contributor_list"),
    path("contributors/<int:pk>/", people.contributor_detail, name="contributor_detail"),
    path("settings/", account.settings_view, name="settings"),
    path("settings/delete-account/", account.delete_account, name="delete_account"),
    path("follow/factor/<slug:slug>/", account.follow_factor, name="follow_factor"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", inbox.inbox_open, name="inbox_open"),
    path("unsubscribe/<str:token>/", inbox.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/resubscribe/", inbox.resubscribe, name="resubscribe"),
]
