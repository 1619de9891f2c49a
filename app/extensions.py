"""Flask extensions, created unbound and attached to the app in ``create_app``."""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_mail import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

# FAB's SQLA subclass binds Flask-SQLAlchemy to FAB's declarative base, so our
# models and FAB's security tables share one metadata (flask_appbuilder.Model.metadata).
db = get_sqla_class()()
migrate = Migrate()
mail = Mail()
csrf = CSRFProtect()
