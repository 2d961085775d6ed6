"""Adapter registry (upstream ``hexrd.imageseries.load.registry``)."""


class Registry(object):
    """Registry for imageseries adapters"""
    adapter_registry: dict = dict()

    @classmethod
    def register(cls, acls):
        """Register adapter class (its ``format``; later registrations of
        the same name replace earlier ones)"""
        if acls.__name__ != 'ImageSeriesAdapter' and \
                not acls.__dict__.get('_abstract', False):
            cls.adapter_registry[acls.format] = acls
