"""Live chat (LC-1..LC-11): visitors of an organisation's web sites chat with its operators.

A feature package, like ``sms`` and ``signaling``: its tables (:mod:`livechat.models`),
SQL (:mod:`livechat.storage`), the state changes (:mod:`livechat.actions`), REST and the
widget's delivery (:mod:`livechat.api`), a site's pure rules (:mod:`livechat.hours`,
:mod:`livechat.prechat`). Its migrations are a branch of their own (``livechat/migrations``,
branch label ``livechat``). docs/livechat.md tells the whole story.
"""
