/ .h.ed, .h.edsn and .h.tx[`xls]: tables as an Excel XML Spreadsheet (SpreadsheetML 2003).
/ The first two lines are ref/doth.md's; the rest follows the format's schema.
2#.h.ed ([]a:1 2 3;b:`x`y`z)
/ "<?xml version=\"1.0\"?><?mso-application progid=\"Excel.Sheet\"?>"
/ "<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:o=\"u..
-1@2_.h.ed[([]a:1 0N;b:`x`y;c:(1#"&";"q\"s");d:10b;e:2020.01.01 0Nd;f:1.5 0w)];
/ <Worksheet ss:Name="Sheet1"><Table>
/ <Row><Cell><Data ss:Type="String">a</Data></Cell><Cell><Data ss:Type="String">b</Data></Cell><Cell><Data ss:Type="String">c</Data></Cell><Cell><Data ss:Type="String">d</Data></Cell><Cell><Data ss:Type="String">e</Data></Cell><Cell><Data ss:Type="String">f</Data></Cell></Row>
/ <Row><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String">x</Data></Cell><Cell><Data ss:Type="String">&amp;</Data></Cell><Cell><Data ss:Type="Boolean">1</Data></Cell><Cell><Data ss:Type="String">2020.01.01</Data></Cell><Cell><Data ss:Type="Number">1.5</Data></Cell></Row>
/ <Row><Cell/><Cell><Data ss:Type="String">y</Data></Cell><Cell><Data ss:Type="String">q"s</Data></Cell><Cell><Data ss:Type="Boolean">0</Data></Cell><Cell><Data ss:Type="String"></Data></Cell><Cell><Data ss:Type="String">0w</Data></Cell></Row>
/ </Table></Worksheet>
/ </Workbook>
-1 .h.edsn[`one`two!(([]a:1 2);([]b:`x`y))] where .h.edsn[`one`two!(([]a:1 2);([]b:`x`y))] like "<W*";
/ <Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:html="http://www.w3.org/TR/REC-html40">
/ <Worksheet ss:Name="one"><Table>
/ <Worksheet ss:Name="two"><Table>
.h.edsn `one`two!1 2
/ 'type
.h.tx[`xls][([]a:1 2)]~.h.ed([]a:1 2)
/ 1b
