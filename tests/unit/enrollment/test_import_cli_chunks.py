from enrollment.entrypoints.cli import chunks

EXPORT = ("employee_id;display_name;role\n"
          "E1;Ana;mentor\n"
          "\n"
          'E2;"Bo\nMultiline";mentee\n'
          "E3;Cy;mentor\n")


def test_an_export_is_cut_into_chunks_that_each_keep_the_header_and_map_back_to_file_lines():
    parts = chunks(EXPORT, rows_per_chunk=2)
    assert len(parts) == 2
    first, first_lines = parts[0]
    assert first.splitlines()[0] == "employee_id;display_name;role"
    # Chunk line 2 is file line 2; chunk line 4 (after a two-line record) is file line 5.
    assert first_lines == {2: 2, 4: 5}
    second, second_lines = parts[1]
    assert second.splitlines()[1] == "E3;Cy;mentor" and second_lines == {2: 6}
