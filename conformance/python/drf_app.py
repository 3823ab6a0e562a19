"""Django REST framework with its default authentication classes (SessionAuthentication,
BasicAuthentication): REST_FRAMEWORK is left empty."""

import drf_common

drf_common.configure(rest_framework={})

if __name__ == "__main__":
    drf_common.serve("drf")
