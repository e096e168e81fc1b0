from django.contrib.auth.middleware import LoginRequiredMiddleware


class MoulinLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Deny by default; the JSON API answers 401 itself (session or token), so it is not redirected."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
