from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("feedback/", views.thread_list, name="thread_list"),
    path("feedback/start/<slug:factor_slug>/", views.thread_create, name="thread_create"),
    path("feedback/<int:pk>/", views.thread_detail, name="thread_detail"),
    path("feedback/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("feedback/<int:pk>/decide/", views.thread_decide, name="thread_decide"),
    path("feedback/replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("flag/<slug:kind>/<int:pk>/", views.flag_create, name="flag"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/flags/<int:pk>/hide/", views.flag_hide, name="flag_hide"),
    path("moderation/flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
    path("community/", views.community_health, name="health"),
    path("contributors/", views.contributor_list, name="contributor_list"),
    path("contributors/<int:pk>/", views.contributor_detail, name="contributor_detail"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
    path("follow/factor/<slug:slug>/", views.follow_factor, name="follow_factor"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/resubscribe/", views.resubscribe, name="resubscribe"),
]
