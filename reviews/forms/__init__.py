"""Forms and list filters of the reviews app, one module per part (context, feedback,
objectives, policy, proposals, review, risks), named as in ``services`` and ``selectors``;
what several parts share is in ``common``. They only collect and label input: the services
decide."""
