/* stub */ typedef int stub_web_html;
