"""The errors of an import: one readable message, naming where in the document it is."""


class DocumentError(Exception):
    """The document cannot be imported: ``ref`` says where ("line 12", "paragraph 7")."""

    def __init__(self, message, ref=None):
        super().__init__(message)
        self.message = message
        self.ref = ref

    def __str__(self):
        return f"{self.ref}: {self.message}" if self.ref else self.message


class ImportConflict(DocumentError):
    """The draft the import made was changed since by someone else: not overwritten."""
