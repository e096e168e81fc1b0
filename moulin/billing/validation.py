"""Validate a UBL invoice or credit note as a Peppol access point would: the UBL 2.1 schema (lxml), then the
EN 16931 rules and the Peppol BIS Billing 3.0 rules (both compiled Schematron, XSLT 2.0, run by saxonche).

The artefacts are in ``moulin/billing/peppol/`` (see its SOURCE.md). Compiling the two stylesheets takes a few
seconds, so each process compiles them once, on first use, and keeps them; the schemas likewise.
"""

import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ARTEFACTS = Path(__file__).resolve().parent / "peppol"
SCHEMAS = {
    "Invoice": ARTEFACTS / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "CreditNote": ARTEFACTS / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
RULE_SETS = {
    "EN 16931": ARTEFACTS / "xslt" / "EN16931-UBL-validation.xslt",
    "Peppol BIS Billing 3.0": ARTEFACTS / "xslt" / "PEPPOL-EN16931-UBL.xslt",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@dataclass(frozen=True)
class Failure:
    """One rule the document breaks: the rule set, the rule's code, what it says, and whether it is fatal."""

    rule_set: str
    code: str
    message: str
    fatal: bool = True
    location: str = ""

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass
class Report:
    failures: list[Failure] = field(default_factory=list)

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if f.fatal]

    @property
    def warnings(self) -> list[Failure]:
        return [f for f in self.failures if not f.fatal]

    @property
    def valid(self) -> bool:
        return not self.errors


_lock = threading.Lock()
_schemas: dict[str, etree.XMLSchema] = {}
_processor = None
_executables: dict[str, object] = {}


def _schema(root_name: str) -> etree.XMLSchema:
    with _lock:
        if root_name not in _schemas:
            _schemas[root_name] = etree.XMLSchema(etree.parse(str(SCHEMAS[root_name])))
        return _schemas[root_name]


def _executable(name: str):
    """The compiled stylesheet of a rule set: compiled once per process."""
    global _processor
    with _lock:
        if name not in _executables:
            from saxonche import PySaxonProcessor

            if _processor is None:
                _processor = PySaxonProcessor(license=False)
            compiler = _processor.new_xslt30_processor()
            _executables[name] = compiler.compile_stylesheet(stylesheet_file=str(RULE_SETS[name]))
        return _processor, _executables[name]


def warm_up() -> None:
    """Compile everything now (a worker at start-up, a benchmark before it measures)."""
    for root in SCHEMAS:
        _schema(root)
    for name in RULE_SETS:
        _executable(name)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_schema(document: bytes) -> list[Failure]:
    try:
        tree = etree.fromstring(document)
    except etree.XMLSyntaxError as exc:
        return [Failure("XML", "XML", str(exc))]
    root = _local(tree.tag)
    if root not in SCHEMAS:
        return [Failure("UBL 2.1", "UBL-ROOT", f"The document is neither an Invoice nor a CreditNote ({root}).")]
    schema = _schema(root)
    if schema.validate(tree):
        return []
    return [Failure("UBL 2.1", "XSD", f"line {e.line}: {e.message}") for e in schema.error_log]


def check_rules(document: bytes, name: str) -> list[Failure]:
    processor, executable = _executable(name)
    with _lock:  # one Saxon processor, used by one thread at a time
        source = processor.parse_xml(xml_text=document.decode("utf-8"))
        svrl = executable.transform_to_string(xdm_node=source)
    failures = []
    for node in etree.fromstring(svrl.encode("utf-8")).iter(f"{SVRL}failed-assert"):
        text_node = node.find(f"{SVRL}text")
        text = " ".join("".join(text_node.itertext()).split()) if text_node is not None else ""
        code = node.get("id") or ""
        if text.startswith("[") and "]" in text:
            code, text = text[1:].split("]", 1)
            text = text.lstrip("-– ").strip()
        failures.append(Failure(name, code, text, fatal=(node.get("flag") or "fatal") == "fatal",
                                location=node.get("location") or ""))  # fmt: skip
    return failures


def validate(document: bytes) -> Report:
    """Schema first; the two rule sets only for a document the schema accepts (they assume its structure)."""
    report = Report(check_schema(document))
    if report.failures:
        return report
    for name in RULE_SETS:
        report.failures.extend(check_rules(document, name))
    return report
