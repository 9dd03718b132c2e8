

def test_engine_refuses_to_start_a_second_opinion_without_rapidocr(monkeypatch) -> None:
    from redactor.config import Settings
    from redactor.pipeline import load_engine

    monkeypatch.delitem(ocr._apis.__dict__, "rapidocr", raising=False)
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import fails as if not installed
    with pytest.raises(MissingDependencyError, match="ocr2"):
        load_engine(Settings(ocr_second_opinion="auto"))
